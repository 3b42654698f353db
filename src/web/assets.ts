/**
 * The only stylesheet and script, served from this origin (the CSP allows no other source
 * and no inline code). The script only adds the show-password toggle; every page works
 * without it.
 */
export const siteCss = `*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:.75rem 1.5rem}
header .site{margin:0;font-weight:600}
main{max-width:40rem;margin:2rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{margin-top:0;font-size:1.6rem}
.field{display:flex;flex-direction:column;gap:.25rem}
label{font-weight:600}
input[type=email],input[type=password],input[type=text]{font:inherit;padding:.5rem;border:1px solid #6b7280;border-radius:.25rem;max-width:24rem}
input[aria-invalid=true]{border-color:#b91c1c;border-width:2px}
:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
button{font:inherit;padding:.5rem 1.25rem;border:0;border-radius:.25rem;background:#1d4ed8;color:#fff;cursor:pointer}
.secondary button{background:#e5e7eb;color:#111827}
.toggle label{font-weight:400}
.errors,.notice{border-left:4px solid #b91c1c;background:#fef2f2;padding:.5rem 1rem;margin:1rem 0}
.errors p{margin:.25rem 0;font-weight:600}
.meta{color:#4b5563;font-size:.9rem}
section{margin:2rem 0;border-top:1px solid #e5e7eb}
img{max-width:100%;height:auto;background:#fff}
body:has(section) main{max-width:70rem}
`;

export const showPasswordJs = `'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var toggle = document.getElementById('show-passwords');
  if (!toggle) return;
  toggle.closest('.toggle').hidden = false;
  toggle.addEventListener('change', function () {
    document.querySelectorAll('input[data-password]').forEach(function (input) {
      input.type = toggle.checked ? 'text' : 'password';
    });
  });
});
`;
