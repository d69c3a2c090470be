import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useState } from 'react';
import { useLocation, useNavigate, Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { homeFor } from '../navigation';
import { ErrorSummary } from '../components';
import { useSubmit } from '../useSubmit';
/** LoginPage logs a person in with a password and returns them where they were going. */
export function LoginPage() {
    const { t } = useTranslation();
    const { login } = useSession();
    const navigate = useNavigate();
    const location = useLocation();
    const [username, setUsername] = useState('');
    const [password, setPassword] = useState('');
    const { busy, error, submit } = useSubmit(async () => {
        const user = await login(username.trim(), password);
        const from = location.state?.from;
        navigate(from ?? homeFor(user.roles), { replace: true });
    });
    return (_jsxs("section", { className: "narrow", children: [_jsx("h1", { children: t('login.title') }), _jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsxs("form", { onSubmit: submit, className: "stack", children: [_jsx("label", { htmlFor: "username", children: t('login.username') }), _jsx("input", { id: "username", name: "username", autoComplete: "username", required: true, value: username, onChange: (e) => setUsername(e.target.value) }), _jsx("label", { htmlFor: "password", children: t('login.password') }), _jsx("input", { id: "password", name: "password", type: "password", autoComplete: "current-password", required: true, value: password, onChange: (e) => setPassword(e.target.value) }), _jsx("button", { type: "submit", className: "primary", disabled: busy, children: t('login.submit') })] }), _jsx("p", { children: _jsx(Link, { to: "/track", children: t('login.trackInstead') }) })] }));
}
