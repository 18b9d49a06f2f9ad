import { describe, expect, it } from 'vitest';
import {
  POLL_METHOD,
  PUSH_METHOD,
  STREAM_DESCRIPTION,
  deliveryDiffers,
  isOurStream,
} from './stream-setup.js';

const push = {
  method: PUSH_METHOD,
  endpoint_url: 'https://gw.test/ssf/kc/events',
  authorization_header: 'Bearer ours',
};

describe('deliveryDiffers', () => {
  it('adopts a poll stream as it is, whatever poll URL the transmitter chose', () => {
    expect(
      deliveryDiffers(
        { method: POLL_METHOD, endpoint_url: 'https://idp.test/poll' },
        { method: POLL_METHOD },
      ),
    ).toBe(false);
  });

  it('adopts a push stream holding our URL and our authorization header (Keycloak echoes it)', () => {
    expect(deliveryDiffers({ ...push }, push)).toBe(false);
  });

  it('updates a stream of another method, another push URL, another or an unechoed header', () => {
    expect(deliveryDiffers({ method: POLL_METHOD }, push)).toBe(true);
    expect(deliveryDiffers({ ...push, endpoint_url: 'https://old.test/events' }, push)).toBe(true);
    expect(deliveryDiffers({ ...push, authorization_header: 'Bearer theirs' }, push)).toBe(true);
    expect(deliveryDiffers({ method: PUSH_METHOD, endpoint_url: push.endpoint_url }, push)).toBe(
      true,
    );
    expect(deliveryDiffers(undefined, { method: POLL_METHOD })).toBe(true);
  });
});

describe('isOurStream', () => {
  it('knows our stream by our description, or by our delivery method and push URL', () => {
    expect(isOurStream({ stream_id: 's', description: STREAM_DESCRIPTION }, push, undefined)).toBe(
      true,
    );
    expect(isOurStream({ stream_id: 's', delivery: { ...push } }, push, undefined)).toBe(true);
    expect(
      isOurStream(
        { stream_id: 's', delivery: { method: POLL_METHOD, endpoint_url: 'https://idp.test/p' } },
        { method: POLL_METHOD },
        undefined,
      ),
    ).toBe(true);
  });

  it('does not take a stream pushing elsewhere, of another method, or for another audience', () => {
    const elsewhere = { method: PUSH_METHOD, endpoint_url: 'https://other.test/events' };
    expect(isOurStream({ stream_id: 's', delivery: elsewhere }, push, undefined)).toBe(false);
    expect(
      isOurStream({ stream_id: 's', delivery: { method: POLL_METHOD } }, push, undefined),
    ).toBe(false);
    expect(
      isOurStream(
        { stream_id: 's', aud: ['other'], description: STREAM_DESCRIPTION },
        push,
        'gateway',
      ),
    ).toBe(false);
    expect(isOurStream({ stream_id: 's', aud: 'gateway', delivery: push }, push, 'gateway')).toBe(
      true,
    );
  });
});
