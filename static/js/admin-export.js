// The admin's export form: one box ticks or unticks every column; it reflects them.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("export-select-all");
  if (!all) return;
  const columns = Array.from(
    document.querySelectorAll('.export-column-list input[type="checkbox"]'),
  );
  const reflect = () => {
    const ticked = columns.filter((box) => box.checked).length;
    all.checked = ticked === columns.length;
    all.indeterminate = ticked > 0 && ticked < columns.length;
  };
  all.addEventListener("change", () => {
    columns.forEach((box) => {
      box.checked = all.checked;
    });
    reflect();
  });
  columns.forEach((box) => box.addEventListener("change", reflect));
  reflect();
});
