import { jsx as _jsx } from "react/jsx-runtime";
// The logged-in user, shared by the whole app. On load it asks
// /auth/me whether the session cookie is still good; a 401 on any later
// call drops the user so the shell asks for a login again.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api } from './api/client';
const SessionContext = createContext(null);
/** SessionProvider holds the session for its children. */
export function SessionProvider({ children }) {
    const [user, setUser] = useState(undefined);
    useEffect(() => {
        let live = true;
        api
            .get('/auth/me')
            .then((me) => live && setUser(me.user ?? null))
            .catch(() => live && setUser(null));
        const off = api.onUnauthenticated(() => setUser(null));
        return () => {
            live = false;
            off();
        };
    }, []);
    const login = useCallback(async (username, password) => {
        const answer = await api.post('/auth/login', { username, password });
        api.setCSRF(answer.csrfToken);
        // Login's user has no roles; /auth/me adds them.
        const me = await api.get('/auth/me');
        setUser(me.user);
        return me.user;
    }, []);
    const logout = useCallback(async () => {
        try {
            await api.post('/auth/logout');
        }
        finally {
            api.setCSRF(null);
            setUser(null);
        }
    }, []);
    const value = useMemo(() => ({ user, login, logout }), [user, login, logout]);
    return _jsx(SessionContext.Provider, { value: value, children: children });
}
/** useSession answers the session of the app. */
export function useSession() {
    const s = useContext(SessionContext);
    if (!s)
        throw new Error('useSession outside SessionProvider');
    return s;
}
