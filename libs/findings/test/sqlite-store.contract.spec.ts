import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore } from '../src/store/sqlite-store.js';
import type { StateStore } from '../src/store/state-store.js';
import { stateStoreContract } from './state-store-contract.js';

stateStoreContract('SqliteStateStore', {
  async fresh() {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-state-'));
    return new SqliteStateStore(path.join(dir, 'state.db'));
  },
  async reopen(store: StateStore) {
    await store.close();
    return new SqliteStateStore(store.location);
  },
});
