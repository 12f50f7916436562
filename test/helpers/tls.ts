/** A throwaway self-signed certificate for 127.0.0.1 and localhost (openssl), in a temporary folder. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SelfSigned {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  keyFile: string;
  remove(): void;
}

export function selfSignedCertificate(): SelfSigned {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile), certFile, keyFile, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
