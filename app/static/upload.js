// Evidence uploads: a progress bar for large files (photos from a phone on a slow network).
// Without JavaScript the form posts as usual.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-upload-progress") || !window.FormData) { return; }
  var bar = form.querySelector(".upload-progress");
  if (!bar) { return; }
  event.preventDefault();
  var request = new XMLHttpRequest();
  request.open("POST", form.getAttribute("action") || window.location.href);
  bar.hidden = false;
  bar.value = 0;
  request.upload.addEventListener("progress", function (e) {
    if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
  });
  request.addEventListener("load", function () {
    // The answer is the page to show: the record's files (after a redirect) or the form
    // with its messages.
    if (request.responseURL) { window.history.replaceState(null, "", request.responseURL); }
    document.open();
    document.write(request.responseText);
    document.close();
  });
  request.addEventListener("error", function () {
    bar.hidden = true;
    form.submit();
  });
  Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
    b.disabled = true;
  });
  request.send(new FormData(form));
});
