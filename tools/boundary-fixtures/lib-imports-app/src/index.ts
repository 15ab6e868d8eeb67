import { marker } from '@drift-fixtures/app';

export const uses = marker;
