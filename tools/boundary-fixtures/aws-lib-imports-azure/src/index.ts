import { marker } from '@drift-fixtures/azure-lib';

export const uses = marker;
