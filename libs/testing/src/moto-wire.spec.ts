import { BatchGetResourceConfigCommand, ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMotoServer, type MotoServer } from './moto-server.js';
import { epochSecondsOf } from './moto-wire.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
let moto: MotoServer;
beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

const bucketItem = (endpoint: string) =>
  new ConfigServiceClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }).send(
    new BatchGetResourceConfigCommand({
      resourceKeys: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'wire-check' }],
    }),
  );

describe("moto's wire corrections", () => {
  it('reads Python datetimes as the epoch seconds they stand for', () => {
    expect(epochSecondsOf('2026-11-27 03:52:04.146439+00:00')).toBe(1795751524.146);
    expect(epochSecondsOf('2026-11-27 03:52:04')).toBe(1795751524);
    expect(epochSecondsOf('2026-11-27 05:52:04+02:00')).toBe(1795751524);
    expect(epochSecondsOf('2026-11-27T03:52:04Z')).toBeNull();
  });

  it("makes moto's Config items readable by the SDK, which refuses them uncorrected", async () => {
    const s3 = new S3Client({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'wire-check' }));
    await expect(bucketItem(moto.motoEndpoint)).rejects.toThrow(/Expected real number/);
    const answer = await bucketItem(moto.endpoint);
    const item = answer.baseConfigurationItems?.[0];
    expect(item?.resourceId).toBe('wire-check');
    expect(item?.configurationItemCaptureTime).toBeInstanceOf(Date);
    expect(Math.abs(item!.configurationItemCaptureTime!.getTime() - Date.now())).toBeLessThan(
      60_000,
    );
  });
});
