import { describe, expect, it } from 'vitest';
import { POLL_METHOD, PUSH_METHOD, deliveryDiffers } from './stream-setup.js';

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
