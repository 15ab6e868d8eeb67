// In-process clients read their configuration from process.env (DefaultAzureCredential reads
// IDENTITY_ENDPOINT / IDENTITY_HEADER / AZURE_TOKEN_CREDENTIALS when constructed), so a test
// points them at a stand-in by setting its `env` there, and puts the old values back after.
export { applyEnv } from '../with-env.js';
