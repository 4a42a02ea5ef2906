// Print pages open the browser's print dialogue once loaded (not under automation).
window.addEventListener("load", function () {
  if (!navigator.webdriver) window.print();
});
