import { CSRF_HEADER, GRAPHQL_PATH } from '../client';

/** The GraphQL multipart request spec body for one file in `variables.file`. */
export function multipartBody(query: string, variables: Record<string, unknown>, file: Blob, fileName: string): FormData {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
  form.append('map', JSON.stringify({ '0': ['variables.file'] }));
  form.append('0', file, fileName);
  return form;
}

/** Whole percent of an upload, 0 to 100 (0 while the size is unknown). */
export function percent(loaded: number, total: number): number {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((loaded / total) * 100)));
}

export interface UploadOptions {
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
  /** Tests pass a stand-in. */
  xhr?: () => XMLHttpRequest;
}

export class UploadFailed extends Error {
  constructor(public readonly code: string) {
    super(code);
  }
}

/** POSTs a multipart GraphQL operation with XMLHttpRequest, so the progress shows. */
export function uploadMultipart<T>(query: string, variables: Record<string, unknown>, file: File, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = options.xhr ? options.xhr() : new XMLHttpRequest();
    xhr.open('POST', GRAPHQL_PATH);
    xhr.withCredentials = true;
    xhr.setRequestHeader(CSRF_HEADER, '1');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(percent(event.loaded, event.total));
    };
    xhr.onload = () => {
      let payload: { data?: T; errors?: { extensions?: { code?: string } }[] };
      try {
        payload = JSON.parse(xhr.responseText) as typeof payload;
      } catch {
        reject(new UploadFailed(xhr.status === 413 ? 'IMAGE_TOO_LARGE' : 'INTERNAL'));
        return;
      }
      if (payload.errors?.length || !payload.data) {
        reject(new UploadFailed(payload.errors?.[0]?.extensions?.code ?? 'INTERNAL'));
        return;
      }
      options.onProgress?.(100);
      resolve(payload.data);
    };
    xhr.onerror = () => reject(new UploadFailed('NETWORK'));
    xhr.onabort = () => reject(new UploadFailed('ABORTED'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(multipartBody(query, variables, file, file.name));
  });
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} bytes`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
