/** A fetch with a cookie jar and no redirect following, like a careful browser under test. */
export class HttpClient {
  private readonly jar = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(path: string, init: { method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {}) {
    return this.request(path, { method: init.method ?? 'GET', headers: init.headers ?? {} });
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** GET a page and read the CSRF token out of its form. */
  async csrf(path: string): Promise<string> {
    const page = await (await this.get(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error(`no CSRF field on ${path}`);
    return token;
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  forget(name: string): void {
    this.jar.delete(name);
  }

  private async request(
    path: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ) {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.base), {
      method: init.method,
      redirect: 'manual',
      headers: { ...this.headers, ...init.headers, ...(cookie ? { cookie } : {}) },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }
}
