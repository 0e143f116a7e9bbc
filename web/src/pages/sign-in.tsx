// Signing in. Under development (the API answers GET /dev/sign-in) a form picks a role and a user; in production
// the organisation's sign-in gives the person a bearer token (claims sub, role, name, email, groups, signed with
// AUTH_JWT_SECRET), which is pasted here and checked with GET /me. Either way the session lives in this tab only.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { devSignIn, devSignInOptions, whoIs } from '../api/identity';
import type { DevSignInOptions, Role } from '../api/types';
import { onSubmit, Select, SubmitButton, TextArea, TextField } from '../components/fields';
import { Loading, Page } from '../components/page';
import { ProblemAlert } from '../components/problem';
import { useResource } from '../hooks';
import { navigate } from '../router';
import { startSession, takeNotice } from '../session';
import type { PageProps } from '../routes';

const ROLE_LABELS: Partial<Record<Role, string>> = {
  requester: 'Requester (asks for help)',
  agent: 'Agent',
  supervisor: 'Supervisor',
  admin: 'Administrator',
};

/** Only a path inside the console, so a crafted link cannot send the user elsewhere after signing in. */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

export function SignInPage({ query }: PageProps) {
  const next = safeNext(query.get('next'));
  const [notice] = useState(takeNotice);
  const options = useResource(() => devSignInOptions(), []);
  return (
    <Page title="Sign in">
      {notice && (
        <p class="alert alert-info" role="status">
          {notice}
        </p>
      )}
      {options.loading && <Loading what="the sign-in options" />}
      {options.error && <ProblemAlert error={options.error} />}
      {!options.loading && options.data && (
        <>
          <p class="lead">This desk runs in development mode: choose whom to sign in as.</p>
          <DevSignInForm options={options.data} next={next} />
          <details class="panel">
            <summary>Sign in with a token instead</summary>
            <TokenForm next={next} />
          </details>
        </>
      )}
      {!options.loading && !options.data && (
        <>
          <p class="lead">Paste the access token your organisation’s sign-in gave you.</p>
          <TokenForm next={next} />
        </>
      )}
    </Page>
  );
}

function DevSignInForm({ options, next }: { options: DevSignInOptions; next: string }) {
  const roles = options.roles.filter((r) => r !== 'gateway');
  const [role, setRole] = useState<Role>(roles.includes('requester') ? 'requester' : (roles[0] ?? 'requester'));
  const [sub, setSub] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};

  const chooseAgent = (id: string) => {
    setSub(id);
    const agent = options.agents.find((a) => a.id === id);
    if (agent) setName(agent.name);
  };

  async function submit() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const claims = { role, sub: sub.trim(), ...(name.trim() ? { name: name.trim() } : {}), ...(role === 'requester' && email.trim() ? { email: email.trim() } : {}) };
      const { token, principal } = await devSignIn(claims);
      startSession({ token, principal, via: 'development' });
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={onSubmit(submit)} noValidate aria-label="Development sign-in">
      <ProblemAlert error={error} shownAtFields={['role', 'sub', 'name', 'email']} />
      <Select label="Role" value={role} onValue={(v) => (setRole(v as Role), setSub(''), setName(''))} options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] ?? r }))} error={fieldErrors.role} required />
      {role === 'agent' ? (
        <Select
          label="Agent"
          value={sub}
          onValue={chooseAgent}
          placeholder="Choose an agent…"
          options={options.agents.map((a) => ({ value: a.id, label: `${a.name} (${a.id}; ${a.groups.join(', ')})` }))}
          error={fieldErrors.sub}
          required
        />
      ) : (
        <TextField label="User id" hint="Who you are to the desk, e.g. alice" value={sub} onValue={setSub} error={fieldErrors.sub} autoComplete="username" required />
      )}
      <TextField label="Name" value={name} onValue={setName} error={fieldErrors.name} autoComplete="name" />
      {role === 'requester' && <TextField label="Email" type="email" hint="Optional: tickets you sent by email become yours too" value={email} onValue={setEmail} error={fieldErrors.email} autoComplete="email" />}
      <SubmitButton busy={busy}>{busy ? 'Signing in…' : 'Sign in'}</SubmitButton>
    </form>
  );
}

function TokenForm({ next }: { next: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (busy) return;
    const pasted = token.trim().replace(/^Bearer\s+/i, '');
    if (!pasted) return setError('Paste your access token here.');
    setBusy(true);
    setError(undefined);
    try {
      const principal = await whoIs(pasted);
      startSession({ token: pasted, principal, via: 'token' });
      navigate(next, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? `This token is not accepted: ${err.detail}.` : (err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={onSubmit(submit)} noValidate aria-label="Sign in with a token">
      <TextArea label="Access token" hint="A bearer token (JWT). It is kept in this browser tab only, until you sign out or close the tab." rows={4} value={token} onValue={setToken} error={error} required />
      <SubmitButton busy={busy}>{busy ? 'Checking…' : 'Sign in with this token'}</SubmitButton>
    </form>
  );
}
