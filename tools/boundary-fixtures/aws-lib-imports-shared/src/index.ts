import { marker } from '@drift-fixtures/shared-lib';

export const uses = marker;
