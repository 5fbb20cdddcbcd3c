// A job's page: asks for the job's state every two seconds and updates the progress bar and
// the state; when the job ends the page is loaded again to show its outcome. Without
// JavaScript the page refreshes itself (a meta refresh in <noscript>) while the job runs.
(function () {
  var root = document.querySelector("[data-job-state-url]");
  if (!root || !window.fetch) { return; }
  var bar = root.querySelector("progress");
  var count = root.querySelector("[data-job-count]");
  var state = root.querySelector("[data-job-state]");
  function poll() {
    fetch(root.getAttribute("data-job-state-url"), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.finished) { window.location.reload(); return; }
        if (state) { state.textContent = job.state_text; }
        if (bar && job.total) {
          bar.max = job.total;
          bar.value = job.done;
          bar.textContent = job.progress_text;
        }
        if (count && job.progress_text) { count.textContent = job.progress_text; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
