export const marker = 'app';
