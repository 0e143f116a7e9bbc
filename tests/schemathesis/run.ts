// `npm run test:schema`: schemathesis (from PyPI) fuzzes the API from its own /openapi.json, once per role,
// against a real worker and real servers. It must find no server error and no response outside the schema.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import { apiDeps } from '../../api/deps-factory';
import { mintToken } from '../../api/http/auth';
import { loadConfig } from '../../platform/config';
import { connectDatabase } from '../../platform/mongo';
import { payloadCodec } from '../../platform/payload-codec';
import { masterKeysOf } from '../../platform/payload-keys';
import { temporalClient } from '../../platform/temporal';
import { benchServers, givenServers } from '../../bench/stack';
import { seedIfEmpty } from '../../stack/seed';
import { TOOLS_DIR } from '../../stack/tools';
import { activityDeps } from '../../worker/deps';
import { bundleTicketWorkflows, createTicketWorker } from '../../worker/worker';
import { writeTally } from '../setup/tally';

const SCHEMATHESIS = '4.32.5';
const HYPOTHESIS = '6.170.17'; // pinned too, so a new release cannot change a run
const SECRET = 'schemathesis-secret';
const MASTER_KEY = '5c'.repeat(32);
const venv = path.join(TOOLS_DIR, 'venv');
const bin = path.join(venv, 'bin', 'schemathesis');
const cacheDir = path.resolve(__dirname, '../../.data/schemathesis');

function ensureSchemathesis(): void {
  if (existsSync(bin) && spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.includes(SCHEMATHESIS)) return;
  console.log(`[schema] installing schemathesis ${SCHEMATHESIS} into .tools/venv`);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  };
  run('python3', ['-m', 'venv', venv]);
  run(path.join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS}`, `hypothesis==${HYPOTHESIS}`]);
}

/**
 * CI's tally for one role (tests/setup/tally.ts): each API operation in schemathesis' JUnit report is one test,
 * failed when any check failed or errored on it; skipped operations count neither way. A run that failed without
 * a failed operation in its report (a crash, no report written) counts one failed.
 */
function tallyRole(role: string, junitPath: string, status: number | null): void {
  const xml = existsSync(junitPath) ? readFileSync(junitPath, 'utf8') : '';
  // XML escapes `<` in text and attributes, so these tags can only be elements of the test case.
  const cases = xml.split('<testcase ').slice(1);
  const failed = cases.filter((c) => c.includes('<failure') || c.includes('<error')).length;
  const passed = cases.filter((c) => !c.includes('<failure') && !c.includes('<error') && !c.includes('<skipped')).length;
  writeTally(`schema-${role}`, { passed, failed: status !== 0 && failed === 0 ? 1 : failed });
}

async function main(): Promise<void> {
  ensureSchemathesis();
  mkdirSync(cacheDir, { recursive: true });
  const servers = givenServers() ?? (await benchServers('dev'));
  const uri = `${servers.mongoBase}/schemathesis`;
  await seedIfEmpty(uri, (line) => console.log(`[schema] ${line}`));
  const db = await connectDatabase(uri);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const native = await NativeConnection.connect({ address: servers.temporalAddress });
  const config = { ...loadConfig({}), jwtSecret: SECRET, temporalAddress: servers.temporalAddress, taskQueue: `schema-${Date.now()}`, rateLimit: 100_000, rateBurst: 100_000 };
  const logger = pino({ level: 'silent' });
  // Payloads encrypted as in production, so the codec routes are fuzzed against real keys.
  const codec = payloadCodec(masterKeysOf(MASTER_KEY), db.connection.db!);
  const client = temporalClient(connection, codec);
  const worker = await createTicketWorker({
    connection: native,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    // With the privacy dependencies: the admin's fuzzed erasures run to their end like the product's.
    deps: activityDeps(db, logger, { client, codec }),
    codec,
    workflowBundle: await bundleTicketWorkflows({ log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error }),
  });
  const app = createApp(apiDeps(config, pino({ level: process.env.SCHEMA_LOG ?? 'silent' }), client, db, codec));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const failures: string[] = [];
  await worker.runUntil(async () => {
    const roles = [
      { role: 'requester', sub: 'alice' },
      { role: 'agent', sub: 'ann', groups: ['network-l1'] },
      { role: 'supervisor', sub: 'sam' },
      { role: 'admin', sub: 'root' },
      { role: 'gateway', sub: 'mail-gateway' },
    ] as const;
    for (const who of roles) {
      const token = mintToken({ ...who, groups: 'groups' in who ? [...who.groups] : undefined }, SECRET);
      console.log(`[schema] schemathesis as ${who.role}`);
      // With TEST_TALLY_DIR set (CI), a JUnit report per role gives the tally its counts; a stale one must not.
      const junit = path.join(cacheDir, `junit-${who.role}.xml`);
      const tallying = Boolean(process.env.TEST_TALLY_DIR);
      rmSync(junit, { force: true });
      // Asynchronous: the API under test answers from this very process.
      const status = await new Promise<number | null>((resolve) => spawn(
        bin,
        [
          'run',
          `${base}/openapi.json`,
          '--header',
          `Authorization: Bearer ${token}`,
          '--checks',
          'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
          '--phases',
          'examples,coverage,fuzzing',
          '--max-examples',
          process.env.SCHEMA_EXAMPLES ?? '25',
          '--seed',
          '20261126',
          // One worker: hypothesis' lambda-source cache is not thread-safe and flakes under --workers 2.
          '--workers',
          '1',
          '--suppress-health-check',
          'all',
          '--request-timeout',
          '30',
          '--no-color',
          ...(tallying ? ['--report', 'junit', '--report-junit-path', junit] : []),
        ],
        // Its crash cache goes under .data/, not into the repository.
        { stdio: 'inherit', cwd: cacheDir },
      ).on('exit', resolve));
      if (status !== 0) failures.push(who.role);
      if (tallying) tallyRole(who.role, junit, status);
    }
  });
  server.close();
  await native.close();
  await connection.close();
  await db.close();
  await servers.stop();
  if (failures.length) {
    console.error(`[schema] schemathesis found problems as: ${failures.join(', ')}`);
    process.exit(1);
  }
  console.log('[schema] no server errors and no responses outside the schema, for every role');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
