// The mlflow client prints <tracking URI>/#/experiments/<id>/runs/<run id>: the part
// after # never reaches the server, so this page reads it and opens that run's version.
(function () {
  const hash = window.location.hash;
  const run = hash.match(/^#\/experiments\/\d+\/runs\/([0-9a-f]{32})/);
  const experiment = hash.match(/^#\/experiments\/(\d+)/);
  const base = window.location.pathname.replace(/\/$/, "");
  if (run) {
    window.location.replace(`${base}/runs/${run[1]}/`);
  } else if (experiment) {
    window.location.replace(`${base}/experiments/${experiment[1]}/`);
  }
})();
