import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { Composer } from '../components/Composer';
import { ErrorNote, Loading } from '../components/Status';
import { graphql } from '../gql';
import type { MessageFieldsFragment } from '../gql/graphql';
import { describeCode, describeRequestError } from '../lib/errors';
import { shortTime } from '../lib/notifications';
import { usePageHeading } from '../lib/page';
import { formatBytes } from '../lib/upload';
import { Link } from '../lib/router';
import { useSession } from '../session';

/** One message as the conversation shows it: the query, the live subscription and a sent reply read the same fields. */
export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    body
    urgent
    createdAt
    author {
      name
      role
    }
    readBy {
      name
      side
      readAt
    }
    attachments {
      id
      name
      size
      mediaType
      downloadUrl
    }
  }
`);

const ThreadDocument = graphql(`
  query Thread($id: ID!) {
    messageThread(id: $id) {
      id
      subject
      status
      responseDueAt
      messages(first: 100) {
        edges {
          node {
            ...MessageFields
          }
        }
      }
    }
  }
`);

const MessageAddedSubscription = graphql(`
  subscription MessageAdded($threadId: ID, $after: ID) {
    messageAdded(threadId: $threadId, after: $after) {
      ...MessageFields
    }
  }
`);

const SendMessageMutation = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      __typename
      ... on PostMessagePayload {
        message {
          ...MessageFields
        }
      }
      ... on MessagingErrors {
        errors {
          code
          field
        }
      }
    }
  }
`);

const MarkThreadReadMutation = graphql(`
  mutation MarkThreadRead($threadId: ID!, $upToMessageId: ID) {
    markThreadRead(threadId: $threadId, upToMessageId: $upToMessageId) {
      __typename
      ... on MessageThreadPayload {
        thread {
          id
          unreadCount
        }
      }
    }
  }
`);

type ThreadMessage = MessageFieldsFragment;

/** "Seen by Dr. Okafor" for the receipts of people other than the author. */
export function seenBy(message: Pick<ThreadMessage, 'readBy' | 'author'>): string {
  const names = message.readBy.map((receipt) => receipt.name).filter((name) => name !== message.author.name);
  return names.length ? `Seen by ${names.join(', ')}` : '';
}

function mergeMessages(current: readonly ThreadMessage[], incoming: readonly ThreadMessage[]): ThreadMessage[] {
  const byId = new Map<string, ThreadMessage>();
  for (const message of [...current, ...incoming]) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export default function Thread({ params }: { params: Record<string, string> }) {
  const threadId = params.id ?? '';
  const { viewer } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: ThreadDocument, variables: { id: threadId }, requestPolicy: 'cache-and-network' });
  const thread = data?.messageThread;
  const heading = usePageHeading(thread ? thread.subject : 'Conversation');
  const [live, setLive] = useState<ThreadMessage[]>([]);
  const [cursor, setCursor] = useState<{ threadId: string; after: string | null } | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [{ fetching: sending }, send] = useMutation(SendMessageMutation);
  const [, markRead] = useMutation(MarkThreadReadMutation);

  const messages = useMemo(() => mergeMessages(thread?.messages.edges.map((e) => e.node) ?? [], live), [thread, live]);
  const newest = messages[messages.length - 1]?.id ?? null;

  useEffect(() => {
    if (thread && !cursor) {
      const nodes = thread.messages.edges;
      setCursor({ threadId, after: nodes[nodes.length - 1]?.node.id ?? null });
    }
  }, [thread, cursor, threadId]);

  useSubscription(
    { query: MessageAddedSubscription, variables: cursor ?? { threadId, after: null }, pause: cursor === null },
    (_, event) => {
      setLive((current) => mergeMessages(current, [event.messageAdded]));
      return event;
    },
  );

  useEffect(() => {
    if (newest) void markRead({ threadId, upToMessageId: newest });
  }, [newest, threadId, markRead]);

  if (fetching && !data) return <Loading label="Loading the conversation…" />;
  if (!thread) {
    return (
      <section aria-labelledby="thread-heading">
        <h1 id="thread-heading" ref={heading} tabIndex={-1}>
          Conversation
        </h1>
        <ErrorNote>{describeRequestError(error) ?? describeCode('NOT_FOUND')}</ErrorNote>
        <Link href="/messages">Back to messages</Link>
      </section>
    );
  }

  return (
    <section aria-labelledby="thread-heading">
      <h1 id="thread-heading" ref={heading} tabIndex={-1}>
        {thread.subject}
      </h1>
      <p>
        <Link href="/messages">Back to messages</Link>
        {thread.status === 'RESOLVED' && <span className="tag muted">Resolved: writing reopens it</span>}
      </p>
      <ol className="messages" aria-label="Messages" aria-live="polite" aria-relevant="additions">
        {messages.map((message) => {
          const mine = message.author.name === viewer?.displayName;
          return (
            <li key={message.id} className={mine ? 'message mine' : 'message'}>
              <p className="meta">
                <strong>{message.author.name}</strong> · <time dateTime={message.createdAt}>{shortTime(message.createdAt)}</time>
                {message.urgent && <span className="tag urgent">Urgent</span>}
              </p>
              <p className="body">{message.body}</p>
              {message.attachments.length > 0 && (
                <ul className="attachments" aria-label="Attachments">
                  {message.attachments.map((file) => (
                    <li key={file.id}>
                      <a href={file.downloadUrl}>{file.name}</a> ({formatBytes(file.size)})
                    </li>
                  ))}
                </ul>
              )}
              {seenBy(message) && <p className="meta seen">{seenBy(message)}</p>}
            </li>
          );
        })}
      </ol>
      <h2>Reply</h2>
      <Composer
        bodyLabel="Your reply"
        submitLabel="Send reply"
        busyLabel="Sending…"
        busy={sending}
        error={sendError}
        onSubmit={async (values) => {
          setSendError(null);
          const result = await send({ input: { threadId, ...values } });
          const payload = result.data?.sendMessage;
          if (!payload) {
            setSendError(describeRequestError(result.error));
            return false;
          }
          if (payload.__typename === 'MessagingErrors') {
            setSendError(payload.errors.map((e) => describeCode(e.code)).join(' '));
            return false;
          }
          setLive((current) => mergeMessages(current, [payload.message]));
          return true;
        }}
      />
    </section>
  );
}
