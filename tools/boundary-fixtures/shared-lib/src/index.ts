export const marker = 'shared-lib';
