import { useQuery } from 'urql';
import { graphql } from './gql';

export const ServerInfoQuery = graphql(`
  query ServerInfo {
    serverInfo {
      name
      version
    }
  }
`);

function ApiStatus() {
  const [{ data, fetching, error }] = useQuery({ query: ServerInfoQuery });

  let text: string;
  let state: 'loading' | 'ok' | 'error';
  if (fetching) {
    text = 'Checking the API…';
    state = 'loading';
  } else if (error || !data) {
    text = 'The API could not be reached. Is the server running?';
    state = 'error';
  } else {
    text = `API reachable: ${data.serverInfo.name} ${data.serverInfo.version}`;
    state = 'ok';
  }

  return (
    <section className="status-card" aria-labelledby="api-status-heading">
      <h2 id="api-status-heading">API status</h2>
      <p className="status" data-state={state} role="status" aria-live="polite">
        <span className="status-dot" aria-hidden="true" />
        <span>{text}</span>
      </p>
    </section>
  );
}

export function App() {
  return (
    <main className="page">
      <h1>Relief</h1>
      <p className="lead">A patient portal for physical, occupational and speech therapy.</p>
      <ApiStatus />
    </main>
  );
}
