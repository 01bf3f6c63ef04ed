<?php
/**
 * Plugin Name: blogcorpus test: HTML only
 * Description: When the option blogcorpus_html_only is set, turns off the REST API and every
 * feed, so a crawler must find all posts and comments through the HTML pages alone.
 *
 * run.sh installs this file as a must-use plugin of the throwaway blog; configure.php flips the
 * option between crawls.
 */

if ( get_option( 'blogcorpus_html_only' ) ) {
	add_filter(
		'rest_authentication_errors',
		static function () {
			return new WP_Error( 'rest_disabled', 'The REST API is turned off on this blog.', array( 'status' => 403 ) );
		}
	);
	// No discovery links to the API or to feeds in the page head.
	remove_action( 'wp_head', 'rest_output_link_wp_head', 10 );
	remove_action( 'template_redirect', 'rest_output_link_header', 11 );
	remove_action( 'wp_head', 'feed_links', 2 );
	remove_action( 'wp_head', 'feed_links_extra', 3 );
	remove_action( 'wp_head', 'rsd_link' );
	remove_action( 'wp_head', 'wlwmanifest_link' );
	remove_action( 'wp_head', 'wp_oembed_add_discovery_links' );
	add_filter( 'xmlrpc_enabled', '__return_false' );
	// The sitemap is a shortcut past the HTML, too.
	add_filter( 'wp_sitemaps_enabled', '__return_false' );
	add_action(
		'template_redirect',
		static function () {
			if ( is_feed() ) {
				global $wp_query;
				$wp_query->set_404();
				status_header( 404 );
				nocache_headers();
				header( 'Content-Type: text/plain; charset=UTF-8' );
				echo 'Feeds are turned off on this blog.';
				exit;
			}
		},
		1
	);
}
