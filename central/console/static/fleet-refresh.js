// Reload a fleet page every N seconds (data-refresh="N" on the form that holds the switch),
// unless the switch is off (remembered in this browser) or someone is typing in a field.
(function () {
  var form = document.querySelector("form[data-refresh]");
  if (!form) { return; }
  var box = form.querySelector("input[type=checkbox]");
  var seconds = parseInt(form.getAttribute("data-refresh"), 10) || 30;
  box.checked = window.localStorage.getItem("fleet-refresh") !== "off";
  box.addEventListener("change", function () {
    window.localStorage.setItem("fleet-refresh", box.checked ? "on" : "off");
  });
  window.setInterval(function () {
    var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)
      && document.activeElement !== box;
    if (box.checked && !typing) { window.location.reload(); }
  }, seconds * 1000);
})();
