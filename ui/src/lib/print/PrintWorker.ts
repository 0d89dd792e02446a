/// <reference types="vite/client" />
// pdf.js renders in a worker: Vite copies its script into the build and gives its URL here.
import workerUrl from "pdfjs-dist/legacy/build/pdf.worker.min.mjs?url";

export default workerUrl;
