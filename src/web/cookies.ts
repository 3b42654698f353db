import type { Request, Response } from 'express';

/** Reads one cookie from the request header; malformed encodings count as absent. */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

export interface CookieSettings {
  secure: boolean;
  sameSite: 'strict' | 'lax';
  path: string;
}

/** HttpOnly always: no script of ours needs a cookie, and no injected one should read one. */
export function setCookie(response: Response, name: string, value: string, settings: CookieSettings): void {
  response.cookie(name, value, {
    httpOnly: true,
    secure: settings.secure,
    sameSite: settings.sameSite,
    path: settings.path,
  });
}

export function clearCookie(response: Response, name: string, settings: CookieSettings): void {
  response.clearCookie(name, {
    httpOnly: true,
    secure: settings.secure,
    sameSite: settings.sameSite,
    path: settings.path,
  });
}
