// Show the injury fields only when the category is "personskade" (without JavaScript they always show).
(function () {
  var box = document.getElementById("injury-fields");
  if (!box) return;
  var radios = document.querySelectorAll('input[name="category"]');
  function update() {
    var checked = document.querySelector('input[name="category"]:checked');
    box.hidden = !(checked && checked.value === box.getAttribute("data-show-for"));
  }
  radios.forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
