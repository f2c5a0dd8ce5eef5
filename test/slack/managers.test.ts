import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_MANAGER_REQUIREMENT } from '../../adapters/slack/managers.ts';
import { CHANNEL, PEOPLE, startHarness, TEAM, type Harness } from './harness.ts';

const LISTED = { id: 'ULISTED', team_id: TEAM, name: 'lee' };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ managers: [LISTED.id] });
  h.fake.users.set(LISTED.id, LISTED);
});
afterAll(() => h.close());
afterEach(() => h.fake.assertClean());

async function scheduleOf(): Promise<unknown> {
  const { store } = h.runtime;
  const team = await store.teams.findTeam('slack', TEAM);
  const channel = team && (await store.teams.findChannel(team.id, CHANNEL));
  return channel ? store.schedules.get(channel.id) : null;
}

describe('who may run manager-only subcommands on Slack', () => {
  // Each test looks at a person afresh: the users.info cache lasts 5 minutes of the fixed clock.
  beforeEach(() => h.runtime.clock.advance(10 * 60_000));

  it('refuses `schedule` to a member who is not an admin, and changes nothing', async () => {
    const r = await h.command('schedule 07:15', PEOPLE.member);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toContain(`needs ${SLACK_MANAGER_REQUIREMENT}`);
    expect(await scheduleOf()).toBeNull();
    expect(h.fake.callsTo('users.info').at(-1)!.params).toMatchObject({ user: PEOPLE.member!.id });
  });

  it('lets a workspace admin or owner schedule', async () => {
    const r = await h.command('schedule 07:15', PEOPLE.admin);
    expect(r.body.text).toMatch(/07:15/);
    expect(await scheduleOf()).toMatchObject({ times: ['07:15'] });
    expect((await h.command('schedule 08:45', PEOPLE.owner)).body.text).toMatch(/08:45/);
    expect(await scheduleOf()).toMatchObject({ times: ['08:45'] });
  });

  it('lets a person listed in SLACK_MANAGERS, without asking Slack', async () => {
    const before = h.fake.callsTo('users.info').length;
    expect((await h.command('schedule 06:00', LISTED)).body.text).toMatch(/06:00/);
    expect(h.fake.callsTo('users.info').length).toBe(before);
  });

  it('refuses guests and people from other organizations politely, even if admins at home', async () => {
    const guest = await h.command('pause', PEOPLE.guest);
    expect(guest.body).toMatchObject({ response_type: 'ephemeral' });
    expect(guest.body.text).toMatch(/guest accounts can't/);
    const external = await h.command('pause', PEOPLE.external);
    expect(external.body.text).toMatch(/another organization/);
  });

  it('fails closed, saying why, when users.info fails', async () => {
    h.fake.script('users.info', { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const r = await h.command('schedule 05:00', PEOPLE.admin);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toMatch(/couldn't check your Slack role/);
    expect(await scheduleOf()).not.toMatchObject({ times: ['05:00'] });

    const unknown = await h.command('schedule 05:00', { id: 'UNOBODY', team_id: TEAM });
    expect(unknown.body.text).toMatch(/couldn't check your Slack role just now \(user_not_found\)/);
  });

  it('asks users.info once per person within the cache time', async () => {
    const before = h.fake.callsTo('users.info').length;
    await h.command('pause', PEOPLE.owner);
    await h.command('resume', PEOPLE.owner);
    expect(h.fake.callsTo('users.info').length).toBe(before + 1);
    h.runtime.clock.advance(6 * 60_000);
    await h.command('pause', PEOPLE.owner);
    expect(h.fake.callsTo('users.info').length).toBe(before + 2);
  });

  it('asks only when the options make it a manager action (`digest post`), never for member commands', async () => {
    const before = h.fake.callsTo('users.info').length;
    expect((await h.command('digest', PEOPLE.member)).body.text).not.toMatch(/needs/);
    await h.command('topics', PEOPLE.guest);
    await h.command('search benchmark', PEOPLE.external);
    expect(h.fake.callsTo('users.info').length).toBe(before);
    const post = await h.command('digest post', PEOPLE.member);
    expect(post.body.text).toContain(`needs ${SLACK_MANAGER_REQUIREMENT}`);
    expect(h.fake.callsTo('users.info').length).toBe(before + 1);
  });
});
