/** The certificate verifier (GET /verify): its own tiny entry, no portal or citizen-app code. */
import "./verifier.css";
import { render } from "solid-js/web";
import { App } from "./App";

render(() => <App />, document.getElementById("app")!);
