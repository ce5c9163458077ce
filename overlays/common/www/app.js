// The logged-in page: logout, with the session's CSRF token.
'use strict';
document.getElementById('logout').addEventListener('click', async () => {
  const { csrf } = await (await fetch('/api/session', { credentials: 'same-origin' })).json();
  await fetch('/api/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf || '' }, credentials: 'same-origin' });
  location.replace('/public/login.html');
});
