/* @refresh reload */
import { Router } from "@solidjs/router";
import { render } from "solid-js/web";
import App from "./App";
import { routes } from "./routes";
import "./styles.css";

const mount = document.getElementById("app");
if (!mount) throw new Error("#app is missing from index.html");

render(() => <Router root={App}>{routes}</Router>, mount);
