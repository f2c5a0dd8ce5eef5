import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSecretKey, SecretBox, SecretKeyError, SecretOpenError } from '../../src/store/secret-box.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../support/test-store.ts';
import { seedPapers } from '../slack/harness.ts';

/*
 * Slack installs at rest (issue 10): the installation is sealed with PAPERBOY_SECRET_KEY, so the
 * table holds no token in the clear; a wrong key fails loudly; a workspace's channels stop and
 * resume together. Runs on SQLite and (the postgres project) PostgreSQL.
 */

const KEY = 'a3f1c2d4e5b60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00';
const TOKEN = 'xoxb-T0AAA-1-s3cr3t-bot-token';
const NOW = new Date('2026-08-17T12:00:00.000Z');
const install = (teamId: string, token = TOKEN) => ({ key: teamId, teamId, enterpriseId: null, botUserId: `UBOT${teamId}`, data: JSON.stringify({ team: { id: teamId }, bot: { token, userId: `UBOT${teamId}` } }) });

let store: Store;
beforeEach(async () => {
  store = await openTestStore();
});
afterEach(() => store.close());

describe('sealed Slack installations', () => {
  it('round-trips an installation, and the row holds no token in the clear', async () => {
    const rows = store.slackInstallations.withKey(new SecretBox(KEY));
    await rows.save(install('T0AAA'), NOW);
    expect(JSON.parse((await rows.find('T0AAA'))!.data).bot.token).toBe(TOKEN);

    const raw = await store.db.selectFrom('slack_installations').selectAll().execute();
    expect(raw).toHaveLength(1);
    const text = JSON.stringify(raw);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('xoxb');
    expect(raw[0]!.team_id).toBe('T0AAA'); // what finds the row stays readable
  });

  it('seals each value with its own IV: the same installation saved twice differs at rest', async () => {
    const rows = store.slackInstallations.withKey(new SecretBox(KEY));
    await rows.save(install('T0AAA'), NOW);
    const first = (await store.db.selectFrom('slack_installations').select('sealed').executeTakeFirstOrThrow()).sealed;
    await rows.save(install('T0AAA'), new Date(NOW.getTime() + 1000));
    const second = (await store.db.selectFrom('slack_installations').select(['sealed', 'installed_at', 'updated_at']).executeTakeFirstOrThrow());
    expect(second.sealed).not.toBe(first);
    expect(new Date(second.installed_at).getTime()).toBeLessThan(new Date(second.updated_at).getTime()); // a reinstall updates the row
  });

  it('refuses to open under a wrong key, saying which setting to check', async () => {
    await store.slackInstallations.withKey(new SecretBox(KEY)).save(install('T0AAA'), NOW);
    const wrong = store.slackInstallations.withKey(new SecretBox(randomBytes(32)));
    const err = await wrong.find('T0AAA').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretOpenError);
    expect((err as Error).message).toMatch(/PAPERBOY_SECRET_KEY is not the key it was stored with/);
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it("a sealed value copied into another workspace's row does not open there", async () => {
    const rows = store.slackInstallations.withKey(new SecretBox(KEY));
    await rows.save(install('T0AAA'), NOW);
    await rows.save(install('T0BBB', 'xoxb-T0BBB-2-other'), NOW);
    const a = await store.db.selectFrom('slack_installations').select('sealed').where('install_key', '=', 'T0AAA').executeTakeFirstOrThrow();
    await store.db.updateTable('slack_installations').set({ sealed: a.sealed }).where('install_key', '=', 'T0BBB').execute();
    await expect(rows.find('T0BBB')).rejects.toBeInstanceOf(SecretOpenError);
  });

  it('deletes an installation and its tokens', async () => {
    const rows = store.slackInstallations.withKey(new SecretBox(KEY));
    await rows.save(install('T0AAA'), NOW);
    expect(await rows.delete('T0AAA')).toBe(true);
    expect(await rows.find('T0AAA')).toBeUndefined();
    expect(await rows.delete('T0AAA')).toBe(false);
    expect(await store.db.selectFrom('slack_installations').selectAll().execute()).toEqual([]);
  });
});

describe('PAPERBOY_SECRET_KEY', () => {
  it('is 32 bytes, as 64 hex characters or base64', () => {
    const bytes = randomBytes(32);
    expect(parseSecretKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseSecretKey(bytes.toString('base64'))).toEqual(bytes);
    expect(parseSecretKey(bytes.toString('base64url'))).toEqual(bytes);
    expect(parseSecretKey(` ${bytes.toString('hex')}\n`)).toEqual(bytes);
  });

  it.each([['too short', randomBytes(16).toString('hex')], ['too long', randomBytes(48).toString('base64')], ['not a key', 'correct horse battery staple'], ['empty', '']])('refuses a key that is %s, saying how to make one', (_why, text) => {
    const err = (() => {
      try {
        parseSecretKey(text);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SecretKeyError);
    expect((err as Error).message).toContain('openssl rand -hex 32');
  });
});

describe("a workspace's channels when the app leaves and comes back", () => {
  const UNINSTALLED = 'Paperboy was uninstalled from this Slack workspace';

  async function seed() {
    const team = await store.teams.ensureTeam({ platform: 'slack', externalId: 'T0AAA' }, NOW);
    const other = await store.teams.ensureTeam({ platform: 'slack', externalId: 'T0BBB' }, NOW);
    const active = await store.teams.ensureChannel(team.id, { externalId: 'C1' }, NOW);
    const idle = await store.teams.ensureChannel(team.id, { externalId: 'C2' }, NOW);
    const gone = await store.teams.ensureChannel(team.id, { externalId: 'C3' }, NOW);
    const elsewhere = await store.teams.ensureChannel(other.id, { externalId: 'C4' }, NOW);
    for (const c of [active, gone, elsewhere]) await store.teams.activate(c.id, NOW);
    await store.outbox.closeChannel(gone.id, 'Slack said channel_not_found', NOW);
    await store.teams.disableTeam(team.id, 'Slack said token_revoked');
    return { team, active, idle, gone, elsewhere };
  }

  it('stops every open channel of the team with the reason, and gives up what was queued there', async () => {
    const { team, active, idle, gone, elsewhere } = await seed();
    const [paper] = await seedPapers(store);
    await store.outbox.plan({ channelId: active.id, digestDate: '2026-08-17', slot: '09:00', dueAt: NOW, kind: 'scheduled', windowFrom: '2026-08-17', windowTo: '2026-08-17', header: true, papers: [{ paperId: paper!, rank: 1, topics: [] }] }, NOW);
    const later = new Date(NOW.getTime() + 60_000);
    expect(await store.outbox.closeTeamChannels(team.id, UNINSTALLED, later)).toBe(2);

    const row = async (id: number) => (await store.teams.getChannel(id))!;
    expect((await row(active.id)).disabled_reason).toBe(UNINSTALLED);
    expect(new Date((await row(active.id)).disabled_at!).getTime()).toBe(later.getTime());
    expect((await row(idle.id)).disabled_reason).toBe(UNINSTALLED);
    expect((await row(gone.id)).disabled_reason).toBe('Slack said channel_not_found'); // its own reason is kept
    expect((await row(elsewhere.id)).disabled_reason).toBeNull();
    const queued = await store.db.selectFrom('deliveries').select(['state', 'last_error']).where('channel_id', '=', active.id).execute();
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((d) => d.state === 'failed' && d.last_error === UNINSTALLED)).toBe(true);
  });

  it('resumes exactly the channels stopped for that reason, restarting their clock, and clears the team', async () => {
    const { team, active, idle, gone, elsewhere } = await seed();
    await store.outbox.closeTeamChannels(team.id, UNINSTALLED, NOW);
    await store.outbox.closeChannel(elsewhere.id, UNINSTALLED, NOW); // same words, other team: not ours to resume
    const back = new Date('2026-08-20T08:00:00.000Z');
    expect(await store.teams.reopenChannels(team.id, [UNINSTALLED, 'some other removal'], back)).toBe(2);

    const row = async (id: number) => (await store.teams.getChannel(id))!;
    expect((await row(active.id)).disabled_reason).toBeNull();
    expect((await row(active.id)).disabled_at).toBeNull();
    expect(new Date((await row(active.id)).active_since!).getTime()).toBe(back.getTime()); // slots missed meanwhile never count
    expect((await row(idle.id)).disabled_reason).toBeNull();
    expect((await row(idle.id)).active_since).toBeNull(); // it had not opted in, and still has not
    expect((await row(gone.id)).disabled_reason).toBe('Slack said channel_not_found');
    expect((await row(elsewhere.id)).disabled_reason).toBe(UNINSTALLED);
    expect((await store.teams.getTeam(team.id))!.disabled_reason).toBeNull();
    expect((await store.teams.deliverableChannels()).map((c) => c.external_id)).toEqual(['C1']);
  });
});
