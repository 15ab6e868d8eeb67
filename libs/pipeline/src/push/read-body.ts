import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-route.js';

/**
 * Reads a request body of at most `maxBytes`. A declared Content-Length over
 * the limit is refused before a byte is read; a body that grows past it while
 * streaming is refused at that point. Either way the caller answers 413 and
 * closes the connection, so the rest of the body is never read.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(413, `body larger than ${maxBytes} bytes`, { connection: 'close' });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(
        new HttpError(400, `body could not be read: ${error.message}`, { connection: 'close' }),
      );
    };
    // A caller that goes away before the end leaves a body that must not be judged.
    const onClose = () => onError(new Error('the caller went away'));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
