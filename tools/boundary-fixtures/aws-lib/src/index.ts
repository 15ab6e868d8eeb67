export const marker = 'aws-lib';
