/**
 * A scripted browser for the authorization-code flow: it follows redirects, keeps cookies per
 * host, and fills the identity provider's login form (any password) and consent form. It talks
 * through the given agent only (see loopback-agent.ts). Cookie paths, expiry and SameSite are
 * not modelled: every cookie of a host is sent to that host, which is more than a browser sends,
 * never less.
 */
import * as https from 'node:https';

export interface BrowserStep {
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

export interface BrowserResult {
  readonly steps: readonly BrowserStep[];
  /** The last response: the page the flow stopped at. */
  readonly url: string;
  readonly status: number;
  readonly body: string;
}

const MAX_STEPS = 25;
const REQUEST_TIMEOUT_MS = 5_000;

function request(agent: https.Agent, method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = https.request(url, { method, agent, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    },
  );
}

const unescapeHtml = (text: string) =>
  text.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(
          parseInt(e[1].toLowerCase() === 'x' ? e.slice(2) : e.slice(1), e[1].toLowerCase() === 'x' ? 16 : 10),
        )
      : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()],
  );

/** The first form of a page: its action and hidden fields. */
function formOf(html: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(input[0]);
    const type = /\btype="([^"]*)"/i.exec(input[0]);
    const value = /\bvalue="([^"]*)"/i.exec(input[0]);
    if (name && type?.[1] === 'hidden') fields[unescapeHtml(name[1])] = unescapeHtml(value?.[1] ?? '');
  }
  return { action: unescapeHtml(form[1]), fields };
}

/** Opens `startUrl` and signs in as `login` wherever a login form appears; consents when asked. */
export async function signInThroughBrowser(
  agent: https.Agent,
  startUrl: string,
  login: string,
): Promise<BrowserResult> {
  const jar = new Map<string, Map<string, string>>();
  const steps: BrowserStep[] = [];
  let method = 'GET';
  let url = startUrl;
  let body: string | undefined;
  for (let i = 0; i < MAX_STEPS; i++) {
    const host = new URL(url).host;
    const cookies = jar.get(host) ?? new Map<string, string>();
    const headers: Record<string, string> = { accept: 'text/html,application/json' };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await request(agent, method, url, headers, body);
    steps.push({ method, url, status: res.status });
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    jar.set(host, cookies);

    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && typeof location === 'string') {
      method = 'GET';
      url = new URL(location, url).href;
      body = undefined;
      continue;
    }
    const form = res.status === 200 ? formOf(res.body) : undefined;
    if (form && form.fields.prompt === 'login') {
      method = 'POST';
      url = new URL(form.action, url).href;
      body = new URLSearchParams({ ...form.fields, login, password: 'any password' }).toString();
      continue;
    }
    if (form && form.fields.prompt === 'consent') {
      method = 'POST';
      url = new URL(form.action, url).href;
      body = new URLSearchParams(form.fields).toString();
      continue;
    }
    return { steps, url, status: res.status, body: res.body };
  }
  throw new Error(
    `the sign-in did not finish within ${MAX_STEPS} steps: ${steps
      .map((s) => `${s.method} ${s.url} ${s.status}`)
      .join('\n')}`,
  );
}
