import { describe, expect, it } from 'vitest';
import { formatBytes, multipartBody, percent, UploadFailed, uploadMultipart } from './upload';

class FakeXhr {
  headers: Record<string, string> = {};
  method = '';
  url = '';
  withCredentials = false;
  body: FormData | null = null;
  status = 200;
  responseText = '';
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }
  respond(json: unknown, status = 200) {
    this.status = status;
    this.responseText = JSON.stringify(json);
    this.onload?.();
  }
}

describe('percent', () => {
  it('is a whole number from 0 to 100', () => {
    expect(percent(0, 100)).toBe(0);
    expect(percent(1, 3)).toBe(33);
    expect(percent(150, 100)).toBe(100);
    expect(percent(5, 0)).toBe(0);
  });
});

describe('multipartBody', () => {
  it('follows the GraphQL multipart request spec: operations, map, then the file', () => {
    const form = multipartBody('mutation X($file: Upload!) { x }', { patientId: null }, new File(['hi'], 'note.pdf'), 'note.pdf');
    expect([...form.keys()]).toEqual(['operations', 'map', '0']);
    expect(JSON.parse(String(form.get('operations')))).toEqual({
      query: 'mutation X($file: Upload!) { x }',
      variables: { patientId: null, file: null },
    });
    expect(JSON.parse(String(form.get('map')))).toEqual({ '0': ['variables.file'] });
    expect((form.get('0') as File).name).toBe('note.pdf');
  });
});

describe('uploadMultipart', () => {
  it('POSTs with the CSRF header and cookies, reports progress, resolves the data', async () => {
    const xhr = new FakeXhr();
    const seen: number[] = [];
    const done = uploadMultipart<{ ok: boolean }>('mutation', {}, new File(['abc'], 'a.png'), {
      xhr: () => xhr as unknown as XMLHttpRequest,
      onProgress: (p) => seen.push(p),
    });
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/graphql');
    expect(xhr.headers['X-Relief-CSRF']).toBe('1');
    expect(xhr.withCredentials).toBe(true);
    xhr.progress(50, 200);
    xhr.progress(200, 200);
    xhr.respond({ data: { ok: true } });
    await expect(done).resolves.toEqual({ ok: true });
    expect(seen).toEqual([25, 100, 100]);
  });

  it('rejects with the top-level error code, or NETWORK', async () => {
    const refused = new FakeXhr();
    const first = uploadMultipart('m', {}, new File(['x'], 'x.exe'), { xhr: () => refused as unknown as XMLHttpRequest });
    refused.respond({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }, 200);
    await expect(first).rejects.toEqual(new UploadFailed('UNAUTHENTICATED'));

    const broken = new FakeXhr();
    const second = uploadMultipart('m', {}, new File(['x'], 'x.pdf'), { xhr: () => broken as unknown as XMLHttpRequest });
    broken.onerror?.();
    await expect(second).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

describe('formatBytes', () => {
  it('uses the unit a person expects', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });
});
