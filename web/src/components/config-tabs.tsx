// The admin's configuration pages as tabs: one per list the API keeps (GET/PUT /admin/{kind}).
import { CONFIG_KINDS, type ConfigKind } from '../api/admin';
import { Link } from '../router';

export function ConfigTabs({ current }: { current: ConfigKind }) {
  return (
    <nav aria-label="Configuration" class="tabs">
      <ul>
        {CONFIG_KINDS.map(({ kind, title }) => (
          <li key={kind}>
            <Link to={`/admin/${kind}`} aria-current={kind === current ? 'page' : undefined}>
              {title}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
