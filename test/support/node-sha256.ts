import { createHash, createHmac } from 'node:crypto';

/**
 * SHA-256 (HMAC when given a secret) from node:crypto, in the shape the AWS SDK's SignatureV4 takes:
 * neither @aws-crypto/sha256-js nor @smithy/hash-node is installed.
 */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data): Uint8Array =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

export class NodeSha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
