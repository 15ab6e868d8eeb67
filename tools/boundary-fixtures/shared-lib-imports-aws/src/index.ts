import { marker } from '@drift-fixtures/aws-lib';

export const uses = marker;
