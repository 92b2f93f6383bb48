import { defaultRegistryHost, registryHost, registryHostOf } from '../../src/commands/registry-host';

describe('registryHostOf', () => {
  it.each([
    ['vcr.vngcloud.vn', 'vcr.vngcloud.vn'],
    ['https://vcr.vngcloud.vn', 'vcr.vngcloud.vn'],
    ['https://vcr-han.vngcloud.vn/v2/', 'vcr-han.vngcloud.vn'],
    [' vcr.vngcloud.vn/10001234-payments-api ', 'vcr.vngcloud.vn'],
    ['HTTP://vcr.vngcloud.vn:5000/', 'vcr.vngcloud.vn:5000'],
  ])('returns the host when the registry URL is `%s`', (registryUrl, host) => {
    // Act
    const found = registryHostOf(registryUrl);

    // Assess
    expect(found).toBe(host);
  });

  it.each([[undefined], [null], [''], ['   '], ['https://'], [42]])('returns undefined when the URL is %p', (url) => {
    // Act
    const found = registryHostOf(url);

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('registryHost', () => {
  it('returns the HCM host when the repository names no registry', () => {
    // Act
    const host = registryHost({});

    // Assess
    expect(host).toBe(defaultRegistryHost);
    expect(host).toBe('vcr.vngcloud.vn');
  });

  it('returns the host without scheme or path when the repository names its registry as a URL', () => {
    // Act
    const host = registryHost({ registryUrl: 'https://vcr-han.vngcloud.vn/' });

    // Assess
    expect(host).toBe('vcr-han.vngcloud.vn');
  });
});
