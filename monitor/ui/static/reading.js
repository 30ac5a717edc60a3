// The reading room's only script: new alerts appear on an open page without a reload.
// Every page works without it. It polls /alerts.json?after=<the newest alert id it knows>.
(function () {
  var box = document.getElementById('live-alerts');
  if (!box || !window.fetch) { return; }
  var after = parseInt(box.getAttribute('data-after'), 10) || 0;
  var every = parseInt(box.getAttribute('data-every'), 10) || 10000;
  var list = box.querySelector('ul');
  function show(alert) {
    var item = document.createElement('li');
    var link = document.createElement('a');
    link.href = alert.article_id ? '/article/' + alert.article_id : '/alerts#alert-' + alert.id;
    link.textContent = alert.rule + ': ' + (alert.title || alert.kind);
    link.dir = 'auto';
    item.className = 'live-alert';
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
    box.hidden = false;
  }
  function poll() {
    fetch(box.getAttribute('data-url') + '?after=' + after, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (alerts) {
        alerts.slice().reverse().forEach(function (a) { show(a); after = Math.max(after, a.id); });
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, Math.min(every, 1000));
})();
