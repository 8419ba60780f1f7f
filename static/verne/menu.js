/* The header menu collapses behind a "Meny" button on narrow screens (verne.css). Without
   JavaScript the menu simply stays open and wraps. */
document.documentElement.classList.add("v-js");
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".v-menu-toggle");
  var menu = document.getElementById("v-menu");
  if (!toggle || !menu) return;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
  });
});
