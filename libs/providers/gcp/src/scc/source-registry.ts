import { callOptions, type GcpClients } from '../grpc/clients.js';
import { callGcp, GRPC, grpcCodeOf, type GcpRetrySettings } from '../grpc/retry.js';

export interface SccSourceSettings {
  readonly clients: Pick<GcpClients, 'scc' | 'requestTimeoutMs'>;
  /** `organizations/{id}`. */
  readonly organization: string;
  /** Unique among the organization's sources, 1 to 64 characters (Source.display_name). */
  readonly displayName: string;
  readonly description: string;
  readonly retry?: GcpRetrySettings | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The largest page ListSources serves ("maximum is 1000", ListSourcesRequest.page_size). */
const PAGE_SIZE = 1000;

/**
 * This installation's SCC source: found by display name among the
 * organization's sources, created when there is none, then remembered for
 * the life of the process. Display names are unique among a parent's
 * sources (Source.display_name), which is what makes the name the
 * installation's key: a second process, or a restart, finds the source the
 * first created instead of adding one. Concurrent first callers share one
 * lookup; a failed one is forgotten, so the next publish tries again.
 * https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources/list
 * https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources/create
 */
export class SccSourceRegistry {
  private pending: Promise<string> | null = null;

  constructor(private readonly settings: SccSourceSettings) {
    const length = settings.displayName.length;
    if (length < 1 || length > 64) {
      throw new RangeError(
        `an SCC source display name has 1 to 64 characters, got ${JSON.stringify(settings.displayName)}`,
      );
    }
  }

  /** The source's name, `organizations/{org}/sources/{id}`. */
  source(): Promise<string> {
    if (this.pending === null) {
      const pending = this.findOrCreate();
      pending.catch(() => {
        if (this.pending === pending) this.pending = null;
      });
      this.pending = pending;
    }
    return this.pending;
  }

  private async findOrCreate(): Promise<string> {
    const found = await this.find();
    if (found !== undefined) return found;
    try {
      return await this.create();
    } catch (error) {
      // Another process created it between our list and our create.
      if (grpcCodeOf(error) !== GRPC.ALREADY_EXISTS) throw error;
      const raced = await this.find();
      if (raced === undefined) throw error;
      return raced;
    }
  }

  private async find(): Promise<string | undefined> {
    const { clients, organization, displayName } = this.settings;
    let pageToken = '';
    for (;;) {
      const [sources, , response] = await callGcp(
        `SCC ListSources ${organization}`,
        () =>
          clients.scc.listSources(
            { parent: organization, pageSize: PAGE_SIZE, pageToken },
            callOptions(clients, this.settings.signal),
          ),
        this.retry(),
      );
      const ours = sources.find((s) => s.displayName === displayName && s.name);
      if (ours?.name) return ours.name;
      pageToken = response?.nextPageToken ?? '';
      if (pageToken === '') return undefined;
    }
  }

  private async create(): Promise<string> {
    const { clients, organization, displayName, description } = this.settings;
    const [source] = await callGcp(
      `SCC CreateSource ${JSON.stringify(displayName)} in ${organization}`,
      () =>
        clients.scc.createSource(
          { parent: organization, source: { displayName, description } },
          callOptions(clients, this.settings.signal),
        ),
      this.retry(),
    );
    if (!source.name) throw new Error(`SCC CreateSource in ${organization} answered no name`);
    return source.name;
  }

  private retry() {
    return { ...this.settings.retry, signal: this.settings.signal };
  }
}
