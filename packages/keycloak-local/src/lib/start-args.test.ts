import { describe, expect, it } from 'vitest';
import { kcArguments, kcEnvironment, type KeycloakLaunch } from './start-args.js';

const launch: KeycloakLaunch = {
  port: 18080,
  managementPort: 18081,
  adminUsername: 'admin-1',
  adminPassword: 'secret-1',
  ssfDrainerInterval: '1s',
  marker: 'revocation-fabric.keycloak=/x/.keycloak/test',
  fullJit: false,
};

describe('kcArguments', () => {
  it('starts development mode with the SSF feature and an in-memory database', () => {
    const args = kcArguments(launch);
    expect(args[0]).toBe('start-dev');
    expect(args).toContain('--features=ssf');
    expect(args).toContain('--db=dev-mem');
  });

  it('binds both interfaces to the loopback address on the given ports', () => {
    const args = kcArguments(launch);
    expect(args).toEqual(
      expect.arrayContaining([
        '--http-host=127.0.0.1',
        '--http-port=18080',
        '--http-management-host=127.0.0.1',
        '--http-management-port=18081',
        '--health-enabled=true',
      ]),
    );
  });

  it('pins the issuer host so tokens carry the same iss whatever host a client used', () => {
    expect(kcArguments(launch)).toContain('--hostname=http://127.0.0.1:18080');
  });

  it('spells the SSF transmitter options the way Keycloak 26.7.3 reads them', () => {
    const args = kcArguments({ ...launch, ssfDrainerInterval: '250ms' });
    expect(args).toContain('--spi-ssf-transmitter--default--allow-insecure-push-targets=true');
    expect(args).toContain('--spi-ssf-transmitter--default--outbox-drainer-interval=250ms');
  });

  it('puts one option per argument, each of the form --name or --name=value', () => {
    for (const argument of kcArguments(launch).slice(1))
      expect(argument).toMatch(/^--[a-z-]+(=\S+)?$/);
  });
});

describe('kcEnvironment', () => {
  it('sets the bootstrap admin and the instance marker', () => {
    const env = kcEnvironment(launch, { PATH: '/usr/bin' });
    expect(env['KC_BOOTSTRAP_ADMIN_USERNAME']).toBe('admin-1');
    expect(env['KC_BOOTSTRAP_ADMIN_PASSWORD']).toBe('secret-1');
    expect(env['JAVA_OPTS_APPEND']).toContain(`-D${launch.marker}`);
    expect(env['PATH']).toBe('/usr/bin');
  });

  it('limits the JIT to C1 for a quick start unless full speed is asked for', () => {
    expect(kcEnvironment(launch, {})['JAVA_OPTS_APPEND']).toContain('-XX:TieredStopAtLevel=1');
    const full = kcEnvironment({ ...launch, fullJit: true }, {});
    expect(full['JAVA_OPTS_APPEND']).not.toContain('TieredStopAtLevel');
    expect(full['JAVA_OPTS_APPEND']).toContain(`-D${launch.marker}`);
  });

  it('drops KC_ settings inherited from the caller, which would reconfigure the instance', () => {
    const env = kcEnvironment(launch, {
      KC_DB: 'postgres',
      KC_HOSTNAME: 'elsewhere',
      HOME: '/root',
    });
    expect(env['KC_DB']).toBeUndefined();
    expect(env['KC_HOSTNAME']).toBeUndefined();
    expect(env['HOME']).toBe('/root');
  });
});
