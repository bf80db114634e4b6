/** The citizen app (GET /app): its own small entry, no portal code. */
import "./citizen.css";
import { render } from "solid-js/web";
import { App } from "./App";

render(() => <App />, document.getElementById("app")!);
