import { unknownStorageBucket } from '@drift-detective/resource-model';

/** storage.bucket properties with every AWS- and GCP-only field null and nothing known yet. */
export const emptyStorageProperties = unknownStorageBucket;
