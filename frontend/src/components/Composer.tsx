import { print } from 'graphql';
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { UploadFileMutation } from '../gql/graphql';
import { describeCode } from '../lib/errors';
import { formatBytes, UploadFailed, uploadMultipart } from '../lib/upload';
import { ErrorNote } from './Status';

export const UrgentNoticeQuery = graphql(`
  query UrgentNotice {
    urgentMessageNotice
  }
`);

const UploadFileDocument = graphql(`
  mutation UploadFile($file: Upload!) {
    uploadFile(file: $file) {
      __typename
      ... on UploadFilePayload {
        file {
          id
          name
          size
        }
      }
      ... on FileErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

export interface Attachment {
  id: string;
  name: string;
  size: number;
}

interface Upload {
  key: number;
  name: string;
  percent: number;
}

export interface ComposerValues {
  body: string;
  urgent: boolean;
  attachmentIds: string[];
}

/**
 * The message body, the urgent flag with the clinic's notice beside it, and attachments
 * uploaded one by one (each with a progress bar) before the message is sent by id.
 */
export function Composer({
  bodyLabel,
  submitLabel,
  busyLabel,
  error,
  busy,
  children,
  onSubmit,
}: {
  bodyLabel: string;
  submitLabel: string;
  busyLabel: string;
  error: string | null;
  busy: boolean;
  children?: ReactNode;
  onSubmit: (values: ComposerValues) => Promise<boolean>;
}) {
  const id = useId();
  const [{ data: notice }] = useQuery({ query: UrgentNoticeQuery });
  const [body, setBody] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const nextKey = useRef(0);

  async function upload(files: FileList | null) {
    setUploadError(null);
    for (const file of Array.from(files ?? [])) {
      const key = nextKey.current++;
      setUploads((current) => [...current, { key, name: file.name, percent: 0 }]);
      try {
        const data = await uploadMultipart<UploadFileMutation>(print(UploadFileDocument), {}, file, {
          onProgress: (percent) => setUploads((current) => current.map((u) => (u.key === key ? { ...u, percent } : u))),
        });
        const result = data.uploadFile;
        if (result.__typename === 'FileErrors') setUploadError(`${file.name}: ${describeCode(result.errors[0]?.code)}`);
        else setAttachments((current) => [...current, result.file]);
      } catch (failure) {
        setUploadError(`${file.name}: ${describeCode(failure instanceof UploadFailed ? failure.code : 'INTERNAL')}`);
      } finally {
        setUploads((current) => current.filter((u) => u.key !== key));
      }
    }
    if (fileInput.current) fileInput.current.value = '';
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const sent = await onSubmit({ body, urgent, attachmentIds: attachments.map((a) => a.id) });
    if (sent) {
      setBody('');
      setUrgent(false);
      setAttachments([]);
    }
  }

  return (
    <form onSubmit={submit} aria-busy={busy} noValidate className="composer">
      <ErrorNote>{error}</ErrorNote>
      {children}
      <div className="field">
        <label htmlFor={`${id}-body`}>{bodyLabel}</label>
        <textarea id={`${id}-body`} rows={5} required value={body} onChange={(e) => setBody(e.target.value)} />
      </div>
      <div className="check urgent-flag">
        <input
          id={`${id}-urgent`}
          type="checkbox"
          checked={urgent}
          aria-describedby={`${id}-urgent-notice`}
          onChange={(e) => setUrgent(e.target.checked)}
        />
        <label htmlFor={`${id}-urgent`}>Mark as urgent</label>
        <p id={`${id}-urgent-notice`} className="notice">
          {notice?.urgentMessageNotice ?? 'Urgent is not for emergencies.'}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-file`}>Attach files (PDF, JPEG, PNG or a video)</label>
        <input
          id={`${id}-file`}
          ref={fileInput}
          type="file"
          multiple
          accept=".pdf,.jpg,.jpeg,.png,.mp4,.mov,.webm,application/pdf,image/jpeg,image/png,video/mp4,video/quicktime,video/webm"
          onChange={(e) => void upload(e.target.files)}
        />
      </div>
      {uploads.map((u) => (
        <div key={u.key} className="upload-progress">
          <label htmlFor={`${id}-up-${u.key}`}>Uploading {u.name}</label>
          <progress id={`${id}-up-${u.key}`} max={100} value={u.percent}>
            {u.percent}%
          </progress>
          <span aria-hidden="true">{u.percent}%</span>
        </div>
      ))}
      <ErrorNote>{uploadError}</ErrorNote>
      {attachments.length > 0 && (
        <ul className="attachments" aria-label="Attached files">
          {attachments.map((a) => (
            <li key={a.id}>
              {a.name} ({formatBytes(a.size)}){' '}
              <button
                type="button"
                className="link-button"
                onClick={() => setAttachments((current) => current.filter((x) => x.id !== a.id))}
              >
                Remove<span className="visually-hidden"> {a.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="submit" className="button" disabled={busy || uploads.length > 0}>
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
