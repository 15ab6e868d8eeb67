export const marker = 'azure-lib';
