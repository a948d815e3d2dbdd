// A background import's progress page: asks how far the import got every second and
// moves the bars; once it is over, loads the page again, which then shows the preview or
// the report. Without JavaScript, the page's "Refresh" link does the same.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".import-progress[data-progress-url]");
  if (!box) return;
  const url = box.dataset.progressUrl;
  const show = (progress) => {
    box.querySelector(".import-progress-stage").textContent = progress.sentence;
    const bars = { read: "rows", validated: "rows", written: "to_write" };
    Object.entries(bars).forEach(([count, total]) => {
      const bar = document.getElementById(`progress-${count}`);
      if (!bar) return;
      bar.max = Math.max(progress[total], 1);
      bar.value = progress[count];
    });
    box.querySelectorAll("[data-count]").forEach((number) => {
      number.textContent = progress[number.dataset.count];
    });
  };
  const ask = () => {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((progress) => {
        show(progress);
        if (progress.finished) {
          window.location.reload();
        } else {
          window.setTimeout(ask, 1000);
        }
      })
      .catch(() => window.setTimeout(ask, 5000));
  };
  window.setTimeout(ask, 1000);
});
