import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, When } from '../components';
import { useSubmit } from '../useSubmit';
/**
 * Conversation shows the public messages between the requester and the
 * owner, and lets the requester write (send posts the body and answers
 * when it is stored).
 */
export function Conversation({ messages, send }) {
    const { t } = useTranslation();
    const [body, setBody] = useState('');
    const [sent, setSent] = useState(false);
    const { busy, error, submit } = useSubmit(async () => {
        if (!send || !body.trim())
            return;
        setSent(false);
        await send(body.trim());
        setBody('');
        setSent(true);
    });
    return (_jsxs("section", { "aria-labelledby": "conversation", children: [_jsx("h2", { id: "conversation", children: t('request.conversation') }), messages.length === 0 && _jsx("p", { className: "muted", children: t('request.noMessages') }), _jsx("ol", { className: "messages", children: messages.map((m) => (_jsxs("li", { className: `message ${m.kind}`, children: [_jsxs("div", { className: "meta", children: [_jsx("strong", { children: m.kind === 'requester' ? t('request.you') : m.author || t('request.owner') }), " \u00B7 ", _jsx(When, { at: m.at })] }), _jsx("p", { children: m.body })] }, m.id))) }), send && (_jsxs("form", { onSubmit: submit, className: "stack", children: [_jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsx("label", { htmlFor: "message", children: t('request.writeMessage') }), _jsx("textarea", { id: "message", rows: 3, value: body, onChange: (e) => setBody(e.target.value), maxLength: 20000, required: true }), _jsx("button", { type: "submit", disabled: busy || !body.trim(), children: t('request.send') }), _jsx("p", { role: "status", "aria-live": "polite", children: sent ? t('request.sent') : '' })] }))] }));
}
