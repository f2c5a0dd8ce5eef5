import { describe, expect, it } from 'vitest';
import { describeThreadMode, takeThreadMode } from '../../src/schedule/thread-mode.ts';

describe('takeThreadMode', () => {
  it('finds the word wherever typed text put it, and leaves the other options alone', () => {
    expect(takeThreadMode({ timezone: 'thread' })).toEqual({ timezone: undefined, weekdays: undefined, thread: 'thread' });
    expect(takeThreadMode({ timezone: 'UTC', weekdays: 'NoThread' })).toEqual({ timezone: 'UTC', weekdays: undefined, thread: 'nothread' });
    expect(takeThreadMode({ timezone: 'Europe/Berlin', weekdays: 'mon-fri', thread: 'thread' })).toEqual({ timezone: 'Europe/Berlin', weekdays: 'mon-fri', thread: 'thread' });
    expect(takeThreadMode({ timezone: 'daily' })).toEqual({ timezone: 'daily', weekdays: undefined, thread: undefined });
    expect(takeThreadMode({})).toEqual({ timezone: undefined, weekdays: undefined, thread: undefined });
  });

  it('says where papers go, and that only Slack threads them', () => {
    expect(describeThreadMode(true, 'slack')).toContain('in a thread under the header');
    expect(describeThreadMode(true, 'discord')).toContain('only Slack uses it');
    expect(describeThreadMode(false, 'slack')).toContain('in the channel');
  });
});
