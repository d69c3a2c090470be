// The public tracking page. Plain JavaScript, no build step; the Vite app
// of issue 7 replaces it.
"use strict";
const texts = {
  en: { brand: "Pishkhan", trackTitle: "Track your request", trackHelp: "Enter the tracking code you received when you submitted your request.",
        codeLabel: "Tracking code", trackButton: "Track", api: "API description (OpenAPI)",
        status: "Status", submitted: "Submitted", history: "History", form: "Request", notFound: "No request has this code.",
        mistyped: "This is not a tracking code; please check it for typos.", failed: "Tracking is unavailable right now.",
        other: "فارسی" },
  fa: { brand: "پیشخوان", trackTitle: "پیگیری درخواست", trackHelp: "کد رهگیری‌ای را که هنگام ثبت درخواست دریافت کردید وارد کنید.",
        codeLabel: "کد رهگیری", trackButton: "پیگیری", api: "توصیف API (OpenAPI)",
        status: "وضعیت", submitted: "ثبت‌شده", history: "سابقه", form: "درخواست", notFound: "درخواستی با این کد وجود ندارد.",
        mistyped: "این کد رهگیری معتبر نیست؛ لطفاً آن را دوباره بررسی کنید.", failed: "پیگیری اکنون در دسترس نیست.",
        other: "English" },
};
let lang = localStorage.getItem("lang") || (navigator.language.startsWith("fa") ? "fa" : "en");
const t = (k) => texts[lang][k] || texts.en[k] || k;
const fmt = (iso) => new Intl.DateTimeFormat(lang === "fa" ? "fa-IR-u-ca-persian" : "en-GB", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

function applyLang() {
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "fa" ? "rtl" : "ltr";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  const b = document.getElementById("lang");
  b.textContent = t("other");
  b.setAttribute("aria-label", t("other"));
}

function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }

async function track(ev) {
  ev.preventDefault();
  const out = document.getElementById("result");
  out.replaceChildren();
  const code = document.getElementById("code").value.trim();
  try {
    const res = await fetch("/api/v1/track/" + encodeURIComponent(code), { headers: { "Accept-Language": lang } });
    if (!res.ok) {
      const p = el("p", res.status === 404 ? t("notFound") : res.status === 400 ? t("mistyped") : t("failed"));
      p.className = "error";
      out.append(p);
      return;
    }
    const r = await res.json();
    const title = (r.form.title && (r.form.title[lang] || r.form.title.en)) || r.form.key;
    out.append(el("p", `${t("form")}: ${title}`), el("p", `${t("status")}: ${t(r.status)}`), el("h3", t("history")));
    const list = el("ol");
    for (const e of r.history) list.append(el("li", `${fmt(e.at)} — ${t(e.type)}`));
    out.append(list);
  } catch {
    const p = el("p", t("failed")); p.className = "error"; out.append(p);
  }
}

document.getElementById("lang").addEventListener("click", () => { lang = lang === "fa" ? "en" : "fa"; localStorage.setItem("lang", lang); applyLang(); });
document.getElementById("track").addEventListener("submit", track);
applyLang();
