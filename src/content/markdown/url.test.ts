import { describe, expect, it } from 'vitest';
import { checkUrl, isIssueUrl, normalizeDomains, type UrlVerdict } from './url.js';

const domains = normalizeDomains(['github.com', 'Example.ORG.', '*.docs.test', 'https://with-scheme.test/path', 'bücher.example', 'not a host']);

describe('normalizeDomains', () => {
  it('lower-cases, drops a trailing dot and a wildcard, keeps only the host, and converts IDN to ASCII', () => {
    expect(domains).toEqual(['github.com', 'example.org', 'docs.test', 'with-scheme.test', 'xn--bcher-kva.example']);
  });
});

describe('checkUrl', () => {
  const cases: Array<[string, UrlVerdict]> = [
    ['https://github.com/o/r', 'allowed'],
    ['HTTPS://GITHUB.COM/o/r', 'allowed'],
    ['https://gist.github.com/x', 'allowed'],
    ['https://github.com./x', 'allowed'],
    ['https://github.com:8443/x', 'allowed'],
    ['https://bücher.example/', 'allowed'],
    ['https://xn--bcher-kva.example/', 'allowed'],
    ['https://api.docs.test/', 'allowed'],
    ['./docs/x.md', 'relative'],
    ['../x', 'relative'],
    ['/o/r/issues', 'relative'],
    ['#anchor', 'relative'],
    ['?tab=files', 'relative'],
    ['docs/a%3Ab.md', 'relative'],
    ['', 'relative'],
    ['http://github.com/', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['JAVASCRIPT:alert(1)', 'scheme'],
    [' javascript:alert(1)', 'scheme'],
    ['java\tscript:alert(1)', 'scheme'],
    ['java\nscript:alert(1)', 'scheme'],
    ['java%73cript:alert(1)', 'scheme'],
    ['java%2573cript:alert(1)', 'scheme'],
    ['jav&#x61;script:alert(1)', 'scheme'],
    ['javascript&colon;alert(1)', 'scheme'],
    ['\u0001javascript:alert(1)', 'scheme'],
    ['data:text/html,<script>', 'scheme'],
    ['vbscript:x', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['ws://github.com/', 'scheme'],
    ['wss://github.com/', 'scheme'],
    ['smb://github.com/share', 'scheme'],
    ['mailto:a@github.com', 'scheme'],
    ['ftp://github.com/', 'scheme'],
    ['a:b', 'scheme'],
    ['https://evil.com/', 'host'],
    ['https://github.com.evil.com/', 'host'],
    ['https://evilgithub.com/', 'host'],
    ['https://evil.com#github.com', 'host'],
    ['https://evil.com/?github.com', 'host'],
    ['https://github.com@evil.com/', 'host'],
    ['https://user:pass@github.com/', 'host'],
    ['https://github.com\\@evil.com', 'host'],
    ['https:\\\\evil.com', 'host'],
    ['https:/\\evil.com', 'host'],
    ['//evil.com/x', 'host'],
    ['//github.com/x', 'allowed'],
    ['/\\evil.com', 'host'],
    ['\\\\evil.com', 'host'],
    ['/%2Fevil.com', 'host'],
    ['https://gіthub.com/', 'host'],
    ['https://0x7f.1/', 'host'],
    ['https://[::1]/', 'host'],
    ['https:', 'host'],
  ];
  it.each(cases)('%j → %s', (url, verdict) => {
    expect(checkUrl(url, domains)).toBe(verdict);
  });

  it('allows nothing absolute with no domains, but still relative links', () => {
    expect(checkUrl('https://github.com/', [])).toBe('host');
    expect(checkUrl('./x', [])).toBe('relative');
  });
});

describe('isIssueUrl', () => {
  it('recognizes issue and pull request URLs on any host', () => {
    expect(isIssueUrl('https://github.com/o/r/issues/1')).toBe(true);
    expect(isIssueUrl('https://github.com/o/r/pull/2#diff')).toBe(true);
    expect(isIssueUrl('https://ghe.example/o/r/pulls/3')).toBe(true);
    expect(isIssueUrl('https://github.com/o/r/%69ssues/4')).toBe(true);
    expect(isIssueUrl('https://github.com/o/r/blob/main/issues.md')).toBe(false);
  });
});
