// The logged-in user, shared by the whole app. On load it asks
// /auth/me whether the session cookie is still good; a 401 on any later
// call drops the user so the shell asks for a login again.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from './api/client';
import type { LoginAnswer, User } from './api/types';

interface SessionState {
  /** undefined while the first /auth/me is under way, null when nobody is logged in */
  user: User | null | undefined;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** SessionProvider holds the session for its children. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    api
      .get<{ user?: User }>('/auth/me')
      .then((me) => live && setUser(me.user ?? null))
      .catch(() => live && setUser(null));
    const off = api.onUnauthenticated(() => setUser(null));
    return () => {
      live = false;
      off();
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const answer = await api.post<LoginAnswer>('/auth/login', { username, password });
    api.setCSRF(answer.csrfToken);
    // Login's user has no roles; /auth/me adds them.
    const me = await api.get<{ user: User }>('/auth/me');
    setUser(me.user);
    return me.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      api.setCSRF(null);
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, login, logout }), [user, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** useSession answers the session of the app. */
export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
